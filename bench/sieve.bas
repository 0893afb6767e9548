10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 5000000
20 REM A sieve of Eratosthenes: an array of flags, crossed out by the multiples of each prime up
30 REM to the square root of N. MOD works on 16-bit integers here: X - INT(X / M) * M stands for it.
35 REM Arrays carry a type suffix: bwBASIC refuses DIM of a name typed by DEFDBL.
40 DIM F!(N)
50 R = INT(SQR(N))
60 C = 0 : H = 0
70 FOR I = 2 TO N
80 IF F!(I) = 0 THEN GOSUB 200
90 NEXT I
100 REM The checksum: how many primes, and a hash of them in order.
110 PRINT "checksum"; C; H
120 SYSTEM
200 REM A prime: count it, hash it, cross out its multiples (bwBASIC wants no jump onto a NEXT
205 REM and no FOR ... NEXT on one line).
210 C = C + 1 : H = H * 31 + I : H = H - INT(H / 1000003!) * 1000003!
220 IF I > R THEN RETURN
230 FOR J = I * I TO N STEP I
240 F!(J) = 1
250 NEXT J
260 RETURN
