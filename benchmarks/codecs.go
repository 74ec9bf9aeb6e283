package benchmarks

import (
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/envelope/goccycodec"
	"github.com/apienvelope/apienvelope/envelope/jsonitercodec"
)

// The codecs the variants are measured with. Only this file names them, so
// that a change in the toolkit's codecs is a change here.
var (
	// defaultCodec is what the toolkit uses when none is configured.
	defaultCodec = envelope.DefaultCodec
	// jsoniterCodec is the json-iterator adapter.
	jsoniterCodec = jsonitercodec.Codec
	// goccyCodec is the goccy/go-json adapter.
	goccyCodec = goccycodec.Codec
)
