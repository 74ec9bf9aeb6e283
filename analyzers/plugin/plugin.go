// Package plugin registers envelopevet's analyzers as a golangci-lint v2
// module plugin named "envelopevet".
//
// A custom golangci-lint is built with this .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/apienvelope/apienvelope
//	    import: github.com/apienvelope/apienvelope/analyzers/plugin
//	    version: latest
//
// and enabled in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - envelopevet
//	  settings:
//	    custom:
//	      envelopevet:
//	        type: module
//	        description: handlers answer through the apienvelope envelope
//	        settings:
//	          trusted: [example.com/yourapi/render]
//	          wrapped: [example.com/yourapi/legacy/...]
//
// golangci-lint names the analyzer before each message ("rawstatus:
// w.WriteHeader sets the HTTP status of w; ..."); the messages do not name
// it themselves, as go vet's do not.
package plugin

import (
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/postonly"
	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
	"github.com/apienvelope/apienvelope/analyzers/rawwrite"
)

// Name is the linter's name in .golangci.yml.
const Name = "envelopevet"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Trusted lists extra import paths whose writes are trusted like the
	// envelope API; "path/..." trusts a tree.
	Trusted []string `json:"trusted"`
	// Wrapped lists packages ("path", "path/...") and functions
	// ("path.Func", "path.Type.Method") whose handlers run inside the
	// Envelope wrapper, as handlerflow's -wrapped flag does.
	Wrapped []string `json:"wrapped"`
}

// Plugin is the golangci-lint plugin of envelopevet.
type Plugin struct {
	settings Settings
}

// New decodes the settings golangci-lint passes and returns the plugin.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, err
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers returns rawstatus, rawwrite and postonly, and handlerflow,
// which reports suppression comments that give no reason.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if err := handlerflow.Analyzer.Flags.Set("trusted", strings.Join(p.settings.Trusted, ",")); err != nil {
		return nil, err
	}
	if err := handlerflow.Analyzer.Flags.Set("wrapped", strings.Join(p.settings.Wrapped, ",")); err != nil {
		return nil, err
	}
	return []*analysis.Analyzer{handlerflow.Analyzer, rawstatus.Analyzer, rawwrite.Analyzer, postonly.Analyzer, errcodes.Analyzer}, nil
}

// GetLoadMode asks for type information, which the analyzers need.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
