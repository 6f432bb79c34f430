"""Write TMP/big.yaml: tests/schema/minimal.yaml with a foreword of a mapping of 1,000,001 keys, one over the mapping limit; the last, past the limit and so not kept, holds a control character, which is still reported."""
import os, sys
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "..", "schema", "minimal.yaml"), "rb") as f:
    base = b"".join(f.readlines()[4:])  # without the header comment
old = b'  foreword: []\n'
assert base.count(old) == 1
keys = [b"k%d" % i for i in range(1000000)] + [b'"k\\x01"']
new = b"  foreword: {" + b",".join(keys) + b"}\n"
with open(os.path.join(sys.argv[1], "big.yaml"), "wb") as f:
    f.write(base.replace(old, new))
