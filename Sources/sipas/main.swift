import SIPASCommandLine

ProgressBar.main()
