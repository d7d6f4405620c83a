# Its top level ends the process: loaded in test-rig's own process, this
# would be an exit 0 that tested nothing.
import os

os._exit(0)
