import sys
import time


def main():
    sleep_delay = 10
    for _ in range(100):
        print("Hello world! The time is now: %s. Sleeping for %d secs"
              % (time.asctime(), sleep_delay))
        sys.stdout.flush()
        time.sleep(sleep_delay)


if __name__ == "__main__":
    main()
