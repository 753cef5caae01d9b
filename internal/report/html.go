package report

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Page is a self-contained HTML report: sections of text, tables and
// pictures, the pictures embedded as data URIs so the one file opens in
// any browser without its directory.
type Page struct {
	Title    string
	Intro    []string
	Sections []Section
}

// Section is one part of a Page.
type Section struct {
	Heading string
	Text    []string
	Table   *Table
	Images  []Image
}

// Image is a picture file (.png or .svg) with its caption.
type Image struct {
	Path, Caption string
}

var mediaTypes = map[string]string{".png": "image/png", ".svg": "image/svg+xml"}

type htmlImage struct {
	URI     template.URL
	Caption string
}

type htmlSection struct {
	Heading string
	Text    []string
	Header  []string
	Rows    [][]string
	Ref     string
	Images  []htmlImage
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:0.85em;margin:1em 0}
th,td{border:1px solid #ccc;padding:0.3em 0.5em;text-align:right}
th{background:#f0f0f0}td:first-child,td:nth-child(2),td:last-child{text-align:left}
figure{display:inline-block;margin:0.5em;vertical-align:top}
img{max-width:100%;border:1px solid #eee}figcaption{font-size:0.85em;color:#555}
</style></head><body>
<h1>{{.Title}}</h1>
{{range .Intro}}<p>{{.}}</p>
{{end}}{{range .Sections}}<h2>{{.Heading}}</h2>
{{range .Text}}<p>{{.}}</p>
{{end}}{{if .Rows}}<p>Errors against {{.Ref}}. Speed-up: the matched classical run's time per sample over the model's, both in a batch.</p>
<table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{range .Images}}<figure><img src="{{.URI}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{end}}</body></html>
`))

// WriteHTML writes the page to w, reading and embedding its pictures.
func (p *Page) WriteHTML(w io.Writer) error {
	data := struct {
		Title    string
		Intro    []string
		Sections []htmlSection
	}{Title: p.Title, Intro: p.Intro}
	for _, s := range p.Sections {
		hs := htmlSection{Heading: s.Heading, Text: s.Text}
		if s.Table != nil {
			hs.Header, hs.Rows, hs.Ref = header, s.Table.cells(), s.Table.Reference
		}
		for _, im := range s.Images {
			typ, ok := mediaTypes[strings.ToLower(filepath.Ext(im.Path))]
			if !ok {
				return fmt.Errorf("report: %s is not a .png or .svg picture", im.Path)
			}
			b, err := os.ReadFile(im.Path)
			if err != nil {
				return fmt.Errorf("report: embedding a picture: %v", err)
			}
			uri := "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(b)
			hs.Images = append(hs.Images, htmlImage{URI: template.URL(uri), Caption: im.Caption})
		}
		data.Sections = append(data.Sections, hs)
	}
	return pageTemplate.Execute(w, data)
}
