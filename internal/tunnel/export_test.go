package tunnel

// PassesResponseInEnv exposes the plugin version rule to the tests.
var PassesResponseInEnv = passesResponseInEnv
