module github.com/apienvelope/apienvelope

go 1.26.0

require (
	github.com/json-iterator/go v1.1.12
	github.com/modern-go/reflect2 v1.0.2
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5
	golang.org/x/tools v0.52.0
)

require github.com/go-json-experiment/json v1.27.2

require golang.org/x/net v0.61.0

require (
	github.com/golangci/plugin-module-register v0.1.2
	github.com/julienschmidt/httprouter v1.3.0
	github.com/modern-go/concurrent v0.0.0-20180228061459-e0a39a4cb421 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
