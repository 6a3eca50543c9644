package config

import "path/filepath"

// compilePublish checks the indexes, retention and remote options.
func (c *Config) compilePublish(s *errorSink) {
	for _, e := range c.Indexes.Validate() {
		s.at("indexes."+e.Field, "%v", e.Err)
	}
	for _, e := range c.Publish.Validate() {
		s.at("publish."+e.Field, "%v", e.Err)
	}
}

// resolvePublishPaths makes the template folder and the links files
// relative to the configuration file's folder.
func (c *Config) resolvePublishPaths(base string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	abs(&c.Output.Templates)
	abs(&c.Indexes.Editors.File)
	for i := range c.Indexes.Sticky {
		abs(&c.Indexes.Sticky[i].File)
	}
}
