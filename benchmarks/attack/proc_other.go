//go:build !linux

package main

import "errors"

var errNoProc = errors.New("reading another process's memory needs Linux's /proc")

func serverProcess(uint16) (int, error) { return 0, errNoProc }

func residentBytes(int) (int64, error) { return 0, errNoProc }
