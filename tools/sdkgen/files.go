package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// owned are the folders below out that sdkgen writes whole.
func owned(out string) []string {
	var dirs []string
	for _, p := range providers {
		dirs = append(dirs, filepath.Join(out, p.dir))
	}
	return dirs
}

// existing reads the generated files now below out.
func existing(out string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, dir := range owned(out) {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			files[filepath.ToSlash(rel)] = raw
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("reading %s: %w", dir, err)
		}
	}
	return files, nil
}

// compare lists the files that differ between out and want.
func compare(out string, want map[string][]byte) []string {
	have, err := existing(out)
	if err != nil {
		return []string{err.Error()}
	}
	var diff []string
	for p, w := range want {
		if h, ok := have[p]; !ok {
			diff = append(diff, p+": missing")
		} else if !bytes.Equal(h, w) {
			diff = append(diff, p+": differs")
		}
	}
	for p := range have {
		if _, ok := want[p]; !ok {
			diff = append(diff, p+": not generated")
		}
	}
	sort.Strings(diff)
	return diff
}

// write replaces the owned folders below out with the files.
func write(out string, files map[string][]byte) error {
	for _, dir := range owned(out) {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("clearing %s: %w", dir, err)
		}
	}
	for p, src := range files {
		full := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
		if err := os.WriteFile(full, src, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
