from mpycross.cli.toolchain import main

main()
