"""Run a command with only the loopback interface up: `unshare --net python loopback_only.py CMD...`.

Ray's own processes listen on every interface of the machine (gRPC binds 0.0.0.0 even when the
node's address is 127.0.0.1); in a fresh network namespace the only interface is loopback, so a
test's Ray is reachable from this machine alone. The interface starts down: bring it up (the
`SIOCSIFFLAGS` ioctl that `ip link set lo up` makes), then become the command.
"""

from __future__ import annotations

import fcntl
import os
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def main() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)  # a whole struct ifreq (40 bytes)
        flags = struct.unpack("16sH", fcntl.ioctl(sock, SIOCGIFFLAGS, request)[:18])[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))
    os.execvp(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
