"""The bottom layer: the data home, the warehouse resource and the terminal.

Everything else (schemas aside) may import it; it imports nothing of the project's.
"""
