//go:build !unix

package main

import "context"

// toggleSignalHint says how to toggle maintenance mode at run time: without
// SIGUSR1, only by restarting with or without -maintenance.
const toggleSignalHint = "restart with or without -maintenance to change maintenance mode (pid %d)"

// onToggleSignal does nothing where there is no SIGUSR1.
func onToggleSignal(context.Context, func()) {}
