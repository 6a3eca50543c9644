package config

import "path/filepath"

// compilePublish checks the indexes, retention and remote options.
func (c *Config) compilePublish(s *errorSink) {
	s.fields("indexes", c.Indexes.Validate())
	s.fields("publish", c.Publish.Validate())
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
