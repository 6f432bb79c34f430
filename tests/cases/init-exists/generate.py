# A file where skillc init is asked to write: it must stay as it is.
import os, sys
with open(os.path.join(sys.argv[1], "standard.yaml"), "w") as f:
    f.write("skillc: 1\n")
