import sys

from brocheck.cli.main import main

sys.exit(main(sys.argv[1:]))
