"""Runs a command in a pseudo-terminal and copies what it writes to stdout (test helper).

Usage: pty-run.py [--keys TEXT | --lines TEXT] -- COMMAND ARGS...
--keys: TEXT is typed into the terminal once the command has started (Python string escapes
allowed). --lines: each line of TEXT is typed, with Return, once a prompt ("> ") shows (typed
ahead, lines would be lost while one runs).
"""
import os
import pty
import select
import sys
import time

args = sys.argv[1:]
keys = b""
lines = []
if args and args[0] == "--keys":
    keys = args[1].encode().decode("unicode_escape").encode("latin-1")
    args = args[2:]
elif args and args[0] == "--lines":
    lines = args[1].split("\n")
    args = args[2:]
if args and args[0] == "--":
    args = args[1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)

out = bytearray()
deadline = time.time() + 20
typed = False
prompts = 0
while time.time() < deadline:
    if not typed and keys and time.time() > deadline - 19.5:
        os.write(fd, keys)
        typed = True
    if lines and out.count(b"> ") > prompts:
        prompts = out.count(b"> ")
        os.write(fd, lines.pop(0).encode() + b"\r")
    r, _, _ = select.select([fd], [], [], 0.05)
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(bytes(out))
sys.exit(os.waitstatus_to_exitcode(status))
