from wiredesk.entry import main

main()
