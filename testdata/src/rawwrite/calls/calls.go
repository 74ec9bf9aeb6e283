// Package calls covers every call form that writes a body, with negatives.
package calls

import (
	"bytes"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"net/http"
	"os"
	"strings"
	"text/template"

	"github.com/apienvelope/apienvelope/envelope"
)

var (
	page = htmltemplate.Must(htmltemplate.New("page").Parse("<p>{{.}}</p>"))
	text = template.Must(template.New("text").Parse("{{.}}"))
)

func write(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("hello")) // want `w.Write writes the body of w around the envelope; answer with envelope.Success`
}

func fprint(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "a")         // want `fmt.Fprint writes`
	fmt.Fprintf(w, "%d", 1)    // want `fmt.Fprintf writes`
	fmt.Fprintln(w, "a")       // want `fmt.Fprintln writes`
	io.WriteString(w, "hello") // want `io.WriteString writes`
}

func copies(w http.ResponseWriter, r *http.Request) {
	io.Copy(w, r.Body)                         // want `io.Copy writes the body of w`
	io.CopyN(w, strings.NewReader("abc"), 2)   // want `io.CopyN writes`
	w.(io.ReaderFrom).ReadFrom(r.Body)         // want `\(io.ReaderFrom\).ReadFrom writes the body of w`
	io.CopyBuffer(w, r.Body, make([]byte, 10)) // want `io.CopyBuffer`
}

func encoder(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(map[string]int{"a": 1}) // want `\(\*json.Encoder\).Encode writes the body of w`
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(1) // want `\(\*json.Encoder\).Encode writes the body of w`
}

func templates(w http.ResponseWriter, r *http.Request) {
	page.Execute(w, "x")                 // want `\(\*template.Template\).Execute writes`
	page.ExecuteTemplate(w, "page", "x") // want `\(\*template.Template\).ExecuteTemplate writes`
	text.Execute(w, "x")                 // want `\(\*template.Template\).Execute writes`
}

func requestWrite(w http.ResponseWriter, r *http.Request) {
	r.Write(w) // want `\(\*http.Request\).Write writes`
}

// Negatives: the envelope API, and writes to values that are not the
// response writer.
func negatives(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	buf.Write([]byte("a"))
	fmt.Fprint(&buf, "a")
	fmt.Fprintf(&buf, "%d", 1)
	fmt.Fprintln(&buf, "a")
	io.CopyN(&buf, strings.NewReader("abc"), 2)
	buf.ReadFrom(r.Body)
	page.ExecuteTemplate(&buf, "page", "x")
	text.Execute(&buf, "x")
	json.NewEncoder(&buf).Encode(1)
	page.Execute(&buf, "x")
	io.Copy(&buf, r.Body)
	io.WriteString(os.Stderr, "log")
	fmt.Fprintln(os.Stdout, w.Header())
	f, _ := os.Create("/tmp/x")
	f.Write(buf.Bytes())
	json.NewDecoder(r.Body).Decode(&buf)
	envelope.Success(w, r, buf.String())
}
