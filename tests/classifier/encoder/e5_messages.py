"""Test messages: English, Chinese and mixed chat, and English/Chinese paraphrase pairs."""

MESSAGES = [
    "My wallet is stuck, the transaction has been pending for 3 hours!!",
    "someone DM'd me claiming to be support, is that legit? 🤔",
    "How do I export my private key?",
    "Swap failed but the gas fee was still charged, tx 0x3f2a9b1c",
    "gm everyone",
    "withdrew 1,500 USDT from Binance to my wallet on TRC20 3 hours ago, still nothing",
    "the app crashes every time I open the NFT tab, iOS 17",
    "lol URGENT: someone bring me coffee before this standup",
    "我的钱包无法提现，请帮忙",
    "转账一直显示pending，已经两个小时了",
    "官方客服会私信你吗？",
    "为什么我的USDT到账了但是余额没有变化",
    "救命！我的币刚刚被人转走了，我什么都没点",
    "这个空投是真的吗？让我输入助记词",
    "gm 大家好 🚀🚀🚀",
    "我的 MetaMask 钱包 balance 显示 0 了, what happened?",
    "bridge 到 Arbitrum 的 USDC 还没到账, tx hash 已经 success 了",
    "请问 how to revoke approval? 我怕被盗",
    "客服 please help, 我的 account 被 freeze 了",
    "Hi team, 我昨天 swap 了 1 ETH, 但是 wallet 里没有显示 token",
]

# (English, Chinese) pairs with the same meaning; each English line's nearest Chinese line
# among all of them must be its own translation.
PARAPHRASES = [
    ("My funds were stolen from my wallet.", "我钱包里的资金被盗了。"),
    ("The transaction has been pending for two hours.", "这笔交易已经等待确认两个小时了。"),
    ("How do I back up my seed phrase safely?", "怎样安全地备份我的助记词？"),
    ("Your app keeps crashing when I open it.", "我一打开你们的应用就闪退。"),
    ("Is this airdrop a scam?", "这个空投是骗局吗？"),
    ("Thank you, the problem is solved now.", "谢谢，问题现在已经解决了。"),
    ("The network fee is far too high.", "网络手续费实在太高了。"),
    ("When will withdrawals be open again?", "什么时候可以重新开放提现？"),
]
