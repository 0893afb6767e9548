10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 32
20 REM Recursive procedures: the naive Fibonacci. GW-BASIC has no functions with parameters that
30 REM can recurse, so a GOSUB per call stands in, with its argument and partial result on stacks.
40 DIM SX(N + 1), SR(N + 1) : SP = 0
50 X = N : GOSUB 100
60 PRINT "checksum"; R
70 SYSTEM
100 REM FIB: the argument in X, the result in R.
110 IF X < 2 THEN R = X : RETURN
120 SP = SP + 1 : SX(SP) = X
130 X = X - 1 : GOSUB 100
140 SR(SP) = R : X = SX(SP) - 2 : GOSUB 100
150 R = SR(SP) + R : SP = SP - 1 : RETURN
