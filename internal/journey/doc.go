// Package journey holds the test that walks the whole service as people
// do: from the home page, every public page and, signed in, every page of
// each role, by clicking links only, each page checked with axe-core. It
// has no code of its own; the test is a package apart so that it runs
// beside the portal's tests, with its own time budget.
package journey
