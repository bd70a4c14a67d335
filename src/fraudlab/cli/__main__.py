from fraudlab.cli import main

main()
