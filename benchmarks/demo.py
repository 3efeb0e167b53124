"""`make demo`: the seed tutorial's examples, side by side with NumPy and Numba.

    python benchmarks/demo.py            # 2**24 elements (about 130 MB per array)
    python benchmarks/demo.py --full     # 2**27 elements, the tutorial's size (1 GB per array)
    python benchmarks/demo.py --repeat 3 --only arctan,ufuncs --json demo.json

It runs benchmarks/seed_tutorial.py's measurements at a moderate size; see
that file for the details of each row.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed_tutorial  # noqa: E402

HEADER = """\
numjit demo: the seed tutorial ("Numba on SCC / HLRN"), run unchanged
=====================================================================
Every compiled function below is the tutorial's own source, compiled twice in
this process: once by Numba (`import numba`) and once by numjit
(`import numjit as numba`).  Columns:
  Python/NumPy  the tutorial's plain Python / NumPy version, when it has one
  Numba         time under Numba
  numjit        time under numjit
  numjit/Numba  below 1.00: numjit is faster
  check         numjit's result against Numba's (or the Python/NumPy one)
Times are the best of {repeat} calls; compiled functions get two untimed calls
first (the first one compiles).
Rows numjit cannot run yet say "not supported yet: <error>".
Data: {ntot} elements{full}; 1 GB per array at the tutorial's full size (--full).
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--full', action='store_true',
                        help="the tutorial's size, 2**27 elements (default 2**24)")
    parser.add_argument('--repeat', type=int, default=5, help='best of N runs (default 5)')
    parser.add_argument('--only', default=None,
                        help='rows or groups, as in seed_tutorial.py --only')
    parser.add_argument('--json', default=None, metavar='PATH', help='write figures as JSON')
    args = parser.parse_args(argv)
    ntot = seed_tutorial.FULL if args.full else 2**24
    print(HEADER.format(repeat=args.repeat, ntot=f'2**{ntot.bit_length() - 1}',
                        full=" (the tutorial's size)" if args.full else ''), flush=True)
    seed_tutorial.run(ntot, max(1, args.repeat), args.only, args.json, quiet=True)


if __name__ == '__main__':
    main()
