package catalog

// Load builds a catalogue from other files than the embedded ones, so tests
// can check fallbacks and plural rules of languages not yet translated.
var Load = load
