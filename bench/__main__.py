"""`python -m bench` (`make bench`): the benchmark harness, see `bench.run`."""

from bench.run import main

main()
