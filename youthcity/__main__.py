from youthcity.cli import main

main()
