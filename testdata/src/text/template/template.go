// Package template is a stub of the standard library's text/template for
// the analyzers' tests (see net/http's stub). Execute writes to its writer.
package template

import "io"

type Template struct{ name, text string }

func New(name string) *Template { return &Template{name: name} }

func Must(t *Template, err error) *Template {
	if err != nil {
		panic(err)
	}
	return t
}

func (t *Template) Parse(text string) (*Template, error) {
	t.text = text
	return t, nil
}

func (t *Template) Execute(wr io.Writer, data any) error {
	_, err := io.WriteString(wr, t.text)
	return err
}

func (t *Template) ExecuteTemplate(wr io.Writer, name string, data any) error {
	return t.Execute(wr, data)
}
