from geokg.cli import main

main()
