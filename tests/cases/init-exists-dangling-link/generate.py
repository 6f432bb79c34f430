# A symbolic link to nothing where skillc init is asked to write: it is
# there, and init writes neither it nor through it.
import os, sys
os.symlink("nowhere.yaml", os.path.join(sys.argv[1], "link.yaml"))
