import SIPASCommandLine

SIPASCommand.main()
