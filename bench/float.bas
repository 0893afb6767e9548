10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 5000000
20 REM Float maths dominated by Sqr and Sin (in radians, as in the other languages).
25 REM FOR counters are single precision: X, a double, is the argument.
30 S = 0
40 FOR I = 1 TO N
50 X = I : S = S + SQR(X) * SIN(X)
60 NEXT I
70 REM The checksum: the sum to 3 decimals, made positive and an integer for every dialect.
80 PRINT "checksum"; INT(ABS(S) * 1000)
90 SYSTEM
