from revmental_cli.launch import main

main()
