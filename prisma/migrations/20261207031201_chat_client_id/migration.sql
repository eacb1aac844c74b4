-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "clientId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Chat_accountId_clientId_key" ON "Chat"("accountId", "clientId");
