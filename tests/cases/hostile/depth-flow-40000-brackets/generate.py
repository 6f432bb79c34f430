"""Write TMP/big.yaml: tests/schema/minimal.yaml with 40,000 nested flow lists as the foreword."""
import os, sys
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "..", "schema", "minimal.yaml"), "rb") as f:
    base = b"".join(f.readlines()[4:])  # without the header comment
old = b'  foreword: []\n'
assert base.count(old) == 1
new = b"  foreword: " + b"[" * 40000 + b"x" + b"]" * 40000 + b"\n"
with open(os.path.join(sys.argv[1], "big.yaml"), "wb") as f:
    f.write(base.replace(old, new))
