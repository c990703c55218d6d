"""`python -m lexiscan` runs the command line (see lexiscan._cli)."""

from lexiscan._cli import main_exit

main_exit()
