import html
import sys

greeting_file, page_file = sys.argv[1], sys.argv[2]
with open(greeting_file) as f:
    greeting = f.read().strip()
with open(page_file, "w") as f:
    f.write("<!doctype html><h1>%s</h1>\n" % html.escape(greeting))
