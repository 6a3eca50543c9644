module github.com/newsmirror/newsmirror/tools/chardeteval

go 1.26.0

require (
	github.com/gogs/chardet v0.0.0-20211120154057-b7413eaefb8f
	github.com/newsmirror/newsmirror v0.0.0-00010101000000-000000000000
	github.com/wlynxg/chardet v1.0.5
	golang.org/x/text v0.44.0
)

replace github.com/newsmirror/newsmirror => ../..
