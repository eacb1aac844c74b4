-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "rateKeyId" TEXT;
