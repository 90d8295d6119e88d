module github.com/salespulse/pulse

go 1.26.8
