import sys

from intake_app.app import main

sys.exit(main())
