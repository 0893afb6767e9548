10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 7000
20 REM Array sorting: a fixed-seed generator fills an array, an insertion sort orders it.
30 REM MOD works on 16-bit integers here: X - INT(X / M) * M stands for X MOD M.
35 REM Arrays carry a type suffix: bwBASIC refuses DIM of a name typed by DEFDBL.
40 DIM A#(N)
50 X = 1
60 FOR I = 1 TO N
70 X = X * 75 + 74 : X = X - INT(X / 65537!) * 65537!
80 A#(I) = X
90 NEXT I
100 REM A#(0) is a sentinel below every value, so the inner loop needs a single test.
110 A#(0) = -1
120 FOR I = 2 TO N
130 V = A#(I) : J = I - 1
140 WHILE A#(J) > V
150 A#(J + 1) = A#(J)
160 J = J - 1
170 WEND
180 A#(J + 1) = V
190 NEXT I
200 REM The checksum: a hash of the sorted array (which also checks the order).
210 C = 0
220 FOR I = 1 TO N
230 C = C * 31 + A#(I) : C = C - INT(C / 1000003!) * 1000003!
240 NEXT I
250 PRINT "checksum"; C
260 SYSTEM
