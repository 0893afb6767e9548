10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 15000000
20 REM Loops and integer arithmetic: a counted loop with arithmetic, a comparison and a wrap.
25 REM FOR counters are single precision (exact to 16,777,216 only): X, a double, does the sums.
30 S = 0 : K = 0
40 FOR I = 1 TO N
45 X = I
50 A = X * 3 + 7
60 B = A - X * 2
70 S = S + B - X + K
80 K = K + 1
90 IF K = 13 THEN K = 0
100 IF S > 1000000! THEN S = S - 1000000!
110 NEXT I
120 PRINT "checksum"; S
130 SYSTEM
