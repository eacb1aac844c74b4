-- CreateIndex
CREATE INDEX "Run_sessionId_id_idx" ON "Run"("sessionId", "id");
