//go:build unix

package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// toggleSignalHint says how to toggle maintenance mode at run time.
const toggleSignalHint = "send SIGUSR1 to toggle maintenance mode (kill -USR1 %d)"

// onToggleSignal calls toggle on every SIGUSR1 until ctx is done.
func onToggleSignal(ctx context.Context, toggle func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	go func() {
		defer signal.Stop(ch)
		for {
			select {
			case <-ctx.Done():
				return
			case <-ch:
				toggle()
			}
		}
	}()
}
