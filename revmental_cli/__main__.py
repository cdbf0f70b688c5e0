from revmental_cli.cli import main

main()
