"""Run Apertium APy bound to one address (default 127.0.0.1) instead of all interfaces.

APy has no bind-address flag: it calls HTTPServer.bind(port) with no address, which tornado
takes as "every interface". This wrapper gives bind/listen a default address, then hands the
command line (same arguments as /usr/bin/apertium-apy) to apertium_apy's own main().

It must run under Debian's /usr/bin/python3, whose dist-packages hold tornado and apertium_apy.

Environment:
  APY_BIND_ADDRESS  address to listen on (default 127.0.0.1)
  APY_PARENT_PID    if set, exit when that process dies (Linux PR_SET_PDEATHSIG), so a test
                    runner that crashes does not leave APy listening.
"""
import ctypes
import os
import signal
import sys

import tornado.tcpserver

BIND_ADDRESS = os.environ.get('APY_BIND_ADDRESS', '127.0.0.1')


def _die_with_parent():
    parent = os.environ.get('APY_PARENT_PID')
    if not parent:
        return
    try:
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        return
    # The parent may already have died between fork and prctl; the signal would never come.
    if os.getppid() != int(parent):
        sys.exit(1)


def _with_default_address(original):
    def patched(self, port, address=None, *args, **kwargs):
        return original(self, port, address or BIND_ADDRESS, *args, **kwargs)
    return patched


# HTTPServer inherits both from TCPServer; patching the base covers either entry point.
tornado.tcpserver.TCPServer.bind = _with_default_address(tornado.tcpserver.TCPServer.bind)
tornado.tcpserver.TCPServer.listen = _with_default_address(tornado.tcpserver.TCPServer.listen)

if __name__ == '__main__':
    _die_with_parent()
    from apertium_apy.apy import main
    sys.argv[0] = 'apertium-apy'
    main()
