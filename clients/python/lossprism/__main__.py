"""python -m lossprism upload FILE [--url URL] [--token TOKEN | --token-file PATH]

Sends a spool file the client wrote while the server was unreachable (see lossprism.upload).
"""

import argparse
import os
import sys

from .http import HttpError
from .upload import upload


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lossprism")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upload", help="send a spool file to the server")
    up.add_argument("file")
    up.add_argument("--url", help="server address (default: the one the spool file names)")
    up.add_argument("--token", help="control token (default: $LOSSPRISM_TOKEN)")
    up.add_argument("--token-file", help="file holding the control token, e.g. lossprism-data/token")
    args = parser.parse_args(argv)
    token = args.token or os.environ.get("LOSSPRISM_TOKEN")
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            token = f.read().strip()
    if not token:
        parser.error("the control token: --token, --token-file or LOSSPRISM_TOKEN")
    try:
        upload(args.file, args.url, token)
    except (OSError, ValueError) as e:
        print(f"lossprism upload: {e}", file=sys.stderr)
        return 2
    except HttpError as e:
        print(f"lossprism upload: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
