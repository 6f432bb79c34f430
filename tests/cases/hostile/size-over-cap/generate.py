"""Write TMP/big.yaml: a sparse file one byte over the 256 MiB cap."""
import os, sys
path = os.path.join(sys.argv[1], "big.yaml")
with open(path, "wb") as f:
    f.write(b"skillc: 1\n")
os.truncate(path, (256 << 20) + 1)  # sparse: made at once, refused unread
