10 DEFDBL A-H,K-Z : DEFSNG I-J : N = 1200000
20 REM String functions: STR$, concatenation, MID$, LEFT$, RIGHT$, LEN, INSTR and ASC.
30 C = 0 : R$ = ""
40 FOR I = 1 TO N
50 S$ = STR$(I)
60 T$ = "<" + S$ + ">" + MID$(S$, 2, 3)
70 C = C + LEN(T$) + INSTR(T$, ">") + ASC(RIGHT$(T$, 1))
80 R$ = R$ + LEFT$(S$, 3)
90 IF LEN(R$) > 200 THEN C = C + INSTR(R$, "9 9") : R$ = ""
100 NEXT I
110 PRINT "checksum"; C
120 SYSTEM
