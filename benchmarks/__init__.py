"""Performance benchmarks of intake_app: each figure is printed beside a floor measured in the same run.

Run all: ``QT_QPA_PLATFORM=offscreen python -m benchmarks``; one: ``python -m benchmarks startup``.
This package must stay import-free: the start-up probe imports it in every child process.
"""
