"""The same 100,000-level chain as ../level-chain-100000, for skillc check."""
import runpy

runpy.run_path("../level-chain-100000/generate.py", run_name="__main__")
